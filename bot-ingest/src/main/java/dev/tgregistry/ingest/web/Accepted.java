package dev.tgregistry.ingest.web;

import jakarta.ws.rs.core.Response;

/** Body of a successful ingest call: how many records Kafka acknowledged. */
public record Accepted(int accepted) {
    public static Response response(int accepted) {
        return Response.accepted(new Accepted(accepted)).build();
    }
}
