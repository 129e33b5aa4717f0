package dev.tgregistry.users.adoption;

import java.util.List;

/**
 * {@code GET /api/admin/adoption}: each adopted bot table, the bot's writes still waiting to be applied, and how
 * long the bot must have stopped writing before finish is accepted without force.
 */
public record AdoptionStatus(List<AdoptedTable> tables, long queuedWrites, long quietPeriodSeconds) {
}
