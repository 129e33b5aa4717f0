package dev.tgregistry.users;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.annotation.security.RolesAllowed;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shape docs/DESIGN.md ("Packages") describes, checked on the compiled main classes (ArchUnit): imports between
 * feature packages go one way, every {@code /api} resource names the right it needs, and cursors have one codec.
 */
class ArchitectureTest {
    private static final String ROOT = "dev.tgregistry.users";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);

    private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?dev\\.tgregistry\\.users\\.([a-z]+)\\.");

    /** Bytecode dependencies, and the sources' imports too: a constant another package defines is inlined. */
    @Test
    void featurePackagesDoNotImportEachOther() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        Path sources = Path.of("src/main/java/dev/tgregistry/users");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = sources.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue;
                }
                Matcher imported = IMPORT.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (imported.find()) {
                    if (!imported.group(1).equals(relative.getName(0).toString())) {
                        uses.computeIfAbsent(relative.getName(0).toString(), f -> new TreeSet<>()).add(imported.group(1));
                    }
                }
            }
        }
        for (JavaClass type : MAIN) {
            String from = feature(type);
            for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                String to = feature(dependency.getTargetClass());
                if (from != null && to != null && !from.equals(to)) {
                    uses.computeIfAbsent(from, f -> new TreeSet<>()).add(to);
                }
            }
        }
        Set<String> twoWay = new TreeSet<>();
        uses.forEach((from, targets) -> targets.stream()
                .filter(to -> from.compareTo(to) < 0 && uses.getOrDefault(to, Set.of()).contains(from))
                .forEach(to -> twoWay.add(from + " <-> " + to)));
        assertEquals(Set.of(), twoWay, "feature packages that import each other");
    }

    @Test
    void everyApiResourceNamesTheRightItNeeds() {
        List<String> unguarded = new ArrayList<>();
        for (JavaClass type : MAIN) {
            if (type.isAnnotatedWith(jakarta.ws.rs.Path.class) && type.getAnnotationOfType(jakarta.ws.rs.Path.class).value().startsWith("/api")
                    && !type.isAnnotatedWith(RolesAllowed.class)) {
                unguarded.add(type.getName());
            }
        }
        assertEquals(List.of(), unguarded, "/api resources without a class-level @RolesAllowed");
    }

    @Test
    void keysetCursorIsTheOneCursorCodec() {
        Set<String> signing = new TreeSet<>();
        for (JavaClass type : MAIN) {
            type.getDirectDependenciesFromSelf().stream()
                    .map(dependency -> dependency.getTargetClass().getName())
                    .filter(target -> target.equals("javax.crypto.Mac") || target.equals("java.util.Base64"))
                    .forEach(target -> signing.add(type.getName().replaceAll("\\$.*", "")));
        }
        assertEquals(Set.of(ROOT + ".audience.KeysetCursor"), signing, "classes that sign or encode cursors");
    }

    /** The feature package of a class of this service ({@code booking}, {@code user}, ...); null outside them. */
    private static String feature(JavaClass type) {
        String name = type.getPackageName();
        if (!name.startsWith(ROOT + ".")) {
            return null;
        }
        String rest = name.substring(ROOT.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
