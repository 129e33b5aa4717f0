package dev.tgregistry.web;

import java.util.Optional;

/**
 * A service's way to recognise, among unexpected failures, one caused by what the request held (e.g. a value the
 * database refused): {@link ProblemMappers} answers it as the returned 4xx instead of a 500. A backstop behind the
 * request checks, which name the field; this one can only say what kind of value was refused.
 */
public interface InputFailures {
    Optional<ApiException> asRefusedInput(Throwable failure);
}
