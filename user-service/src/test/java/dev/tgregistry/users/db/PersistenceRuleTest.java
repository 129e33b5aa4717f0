package dev.tgregistry.users.db;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The persistence rule of docs/DESIGN.md, read from the main sources: tables the pipeline writes are reached through
 * the Pool only, Panache entities map only tables the API alone writes, and no SQL runs through Hibernate.
 */
class PersistenceRuleTest {
    static final Set<String> PIPELINE_TABLES = Set.of("users", "user_name_history", "events", "bookings", "free_lesson_registrations");
    static final Set<String> API_ONLY_ENTITY_TABLES = Set.of("user_profiles", "user_profile_changes");

    private static final Path MAIN = Path.of("src/main/java/dev/tgregistry/users");
    private static final Pattern TABLE = Pattern.compile("@Table\\(\\s*name\\s*=\\s*\"([a-z_]+)\"");
    private static final Pattern NATIVE_OR_HQL_WRITE = Pattern.compile("createNativeQuery|createNativeMutationQuery|createMutationQuery"
            + "|\\b[A-Z]\\w*\\.update\\(\\s*\"|\\b[A-Z]\\w*\\.delete\\(\\s*\"");
    private static Map<String, String> sources;

    @BeforeAll
    static void read() throws IOException {
        sources = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).sorted().toList()) {
                sources.put(MAIN.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        assertTrue(sources.size() > 50, "the main sources were found: " + sources.size());
    }

    @Test
    void entitiesMapOnlyTablesTheApiAloneWrites() {
        Map<String, String> mapped = new LinkedHashMap<>();
        sources.forEach((file, source) -> {
            if (source.contains("@Entity")) {
                Matcher table = TABLE.matcher(source);
                assertTrue(table.find(), file + ": an entity names its table with @Table(name = ...)");
                mapped.put(file, table.group(1));
            }
        });
        mapped.forEach((file, table) -> assertTrue(API_ONLY_ENTITY_TABLES.contains(table),
                    file + " maps " + table + ": tables the pipeline writes are read and written with the Pool in a repository"));
        assertEquals(API_ONLY_ENTITY_TABLES, Set.copyOf(mapped.values()),
                "every API-only entity table listed here is mapped (else drop it from the list and docs/DESIGN.md)");
    }

    @Test
    void noSqlRunsThroughHibernate() {
        List<String> offenders = sources.entrySet().stream()
                .filter(entry -> NATIVE_OR_HQL_WRITE.matcher(entry.getValue()).find()).map(Map.Entry::getKey).toList();
        assertEquals(List.of(), offenders, "native SQL and bulk HQL writes belong in a Pool repository");
    }

    @Test
    void panacheIsUsedOnlyWhereItsEntitiesLive() {
        Set<String> entityPackages = Set.of("profile/");
        List<String> offenders = sources.entrySet().stream()
                .filter(entry -> entry.getValue().contains("io.quarkus.hibernate.reactive.panache"))
                .map(Map.Entry::getKey)
                .filter(file -> entityPackages.stream().noneMatch(file::startsWith)).toList();
        assertEquals(List.of(), offenders, "Panache outside the packages of the API-only entities");
    }

    /** One write mechanism per table: the profile tables are written by ProfileRepository's Pool statements, never by their entities. */
    @Test
    void profileEntitiesAreReadNeverWritten() {
        Pattern entityWrite = Pattern.compile("\\.(persist|persistAndFlush|delete|deleteById|deleteAll|update)\\(|\\.flush\\(\\)"
                + "|\\bsession\\.(merge|remove)\\(");
        List<String> offenders = sources.entrySet().stream()
                .filter(entry -> entry.getValue().contains("io.quarkus.hibernate.reactive.panache")
                        && entityWrite.matcher(entry.getValue()).find())
                .map(Map.Entry::getKey).toList();
        assertEquals(List.of(), offenders, "profiles are written through profile/ProfileRepository (the Pool) only");
        assertTrue(sources.get("profile/ProfileRepository.java").contains("INSERT INTO user_profile_changes"),
                "the change log is written by the repository");
    }

    @Test
    void pipelineTablesAreNeverWrittenOutsideARepositoryOrWriterWithPoolSql() {
        Pattern write = Pattern.compile("(?i)\\b(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+(" + String.join("|", PIPELINE_TABLES) + ")\\b");
        sources.forEach((file, source) -> {
            if (write.matcher(source).find()) {
                assertTrue(source.contains("io.vertx.mutiny.sqlclient"),
                        file + " writes a pipeline table without the Pool");
            }
        });
    }
}
