package dev.tgregistry.users.web;

import dev.tgregistry.localstack.KafkaResource;
import dev.tgregistry.localstack.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static dev.tgregistry.users.TestSupport.api;
import static dev.tgregistry.users.QueryFixtures.assertProblem;

/** Bad input to user-service is a 4xx problem naming what is wrong, never a 500. No data of its own. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
class BadInputTest {

    @Test
    void idsBeyond64BitsAre400OnEveryPath() {
        for (String id : new String[]{"9999999999999999999", "99999999999999999999999", "-1", "0"}) {
            assertProblem(api().get("/api/users/" + id).then(), 400, "must be a positive integer");
            assertProblem(api().contentType("application/json").body("{\"stream\": \"5th_stream\"}")
                    .patch("/api/users/" + id + "/stream").then(), 400, "must be a positive integer");
        }
        // non-ASCII digits arrive percent-encoded: refused with the path before routing (see ExactPathApiTest)
        assertProblem(api().get("/api/users/٣٤٥").then(), 400, "path segment");
        assertProblem(api().contentType("application/json").body("{\"user_ids\": [\"9999999999999999999\"]}")
                .post("/api/users/validate").then(), 400, "user_ids[0]");
    }

    @Test
    void aBodyOverOneMebibyteIs413BeforeItIsRead() {
        StringBuilder ids = new StringBuilder("{\"user_ids\": [");
        while (ids.length() < 10 * 1024 * 1024) {
            ids.append("\"1234567890123\",");
        }
        ids.append("\"1\"]}");
        assertProblem(api().contentType("application/json").body(ids.toString()).post("/api/users/validate").then(),
                413, "exceeds the limit of 1 MiB");
    }
}
