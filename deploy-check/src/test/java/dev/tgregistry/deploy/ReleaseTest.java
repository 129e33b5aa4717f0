package dev.tgregistry.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * What docs/RELEASING.md promises: a changelog in Keep a Changelog form, the Apache License stated in LICENSE,
 * README and the pom, the dev overlay running the Maven version's tarballs, prod pinning the image tag a release
 * produces, and multi-platform images from the push profile only.
 */
class ReleaseTest {
    private static final Pattern RELEASED = Pattern.compile("^## \\[(\\d+\\.\\d+\\.\\d+)] - \\d{4}-\\d{2}-\\d{2}$", Pattern.MULTILINE);

    @Test
    void theChangelogKeepsAChangelogsForm() throws Exception {
        String changelog = Files.readString(Kustomize.REPO.resolve("CHANGELOG.md"));
        assertTrue(changelog.startsWith("# Changelog\n"));
        List<String> headings = changelog.lines().filter(line -> line.startsWith("## ")).toList();
        assertEquals("## [Unreleased]", headings.get(0), "Unreleased comes first");
        for (String heading : headings.subList(1, headings.size())) {
            assertTrue(RELEASED.matcher(heading).matches(), "a release heading is ## [X.Y.Z] - YYYY-MM-DD: " + heading);
        }
        Set<String> kinds = Set.of("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security");
        changelog.lines().filter(line -> line.startsWith("### "))
                .forEach(line -> assertTrue(kinds.contains(line.substring(4)), "a Keep a Changelog type: " + line));
    }

    @Test
    void theLicenseIsApache2AndSaidSoInReadmeAndPom() throws Exception {
        String license = Files.readString(Kustomize.REPO.resolve("LICENSE"));
        assertTrue(license.contains("Apache License") && license.contains("Version 2.0, January 2004"));
        assertTrue(Files.readString(Kustomize.REPO.resolve("README.md")).contains("Apache License 2.0"));
        assertEquals("Apache-2.0", text(pom().getDocumentElement(), "licenses", "license", "name"));
    }

    @Test
    void devRunsTheMavenVersionAndProdPinsWhatAReleaseProduces() throws Exception {
        String version = text(pom().getDocumentElement(), "version");
        for (String service : Overlays.SERVICES) {
            assertEquals(version, tag(Overlays.DEV, service), "dev runs the tarballs of this build (README \"Images\")");
        }
        Matcher released = RELEASED.matcher(Files.readString(Kustomize.REPO.resolve("CHANGELOG.md")));
        String expected = released.find() ? released.group(1) : version.replace("-SNAPSHOT", "");
        assertTrue(expected.matches("\\d+\\.\\d+\\.\\d+"), expected);
        for (String service : Overlays.SERVICES) {
            assertEquals(expected, tag(Overlays.PROD, service), "prod pins the newest release (or, before the first, "
                    + "the version this main becomes): docs/RELEASING.md");
        }
    }

    @Test
    void onlyThePushProfileBuildsForLinuxAmd64AndArm64() throws Exception {
        Document pom = pom();
        List<String> pushPlatforms = new ArrayList<>();
        List<String> otherPlatforms = new ArrayList<>();
        NodeList executions = pom.getElementsByTagName("execution");
        for (int i = 0; i < executions.getLength(); i++) {
            Element execution = (Element) executions.item(i);
            NodeList platforms = execution.getElementsByTagName("platform");
            for (int j = 0; j < platforms.getLength(); j++) {
                Element platform = (Element) platforms.item(j);
                String name = text(platform, "os") + "/" + text(platform, "architecture");
                (text(execution, "id").equals("image-push") ? pushPlatforms : otherPlatforms).add(name);
            }
        }
        assertEquals(Set.of("linux/amd64", "linux/arm64"), new TreeSet<>(pushPlatforms));
        // Jib 3.5.2 builds several platforms only as a Docker manifest list ("Build an OCI image index is not yet
        // supported"): the push execution overrides the OCI format of the other images
        int pushExecutions = 0;
        for (int i = 0; i < executions.getLength(); i++) {
            Element execution = (Element) executions.item(i);
            if (execution.getElementsByTagName("platform").getLength() > 0) {
                pushExecutions++;
                assertEquals("Docker", text(execution, "configuration", "container", "format"));
            }
        }
        assertEquals(1, pushExecutions);
        assertEquals(List.of(), otherPlatforms);
        // nothing outside the push execution asks for platforms (the tarball and local-base builds are single)
        assertEquals(2, pom.getElementsByTagName("platform").getLength());
    }

    private static String tag(String overlay, String service) {
        Container container = Overlays.one(overlay, Deployment.class, service).getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        String image = container.getImage();
        return image.substring(image.lastIndexOf(':') + 1);
    }

    private static Document pom() throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Kustomize.REPO.resolve("pom.xml").toFile());
    }

    /** The text of the first path of direct children under {@code parent}. */
    private static String text(Element parent, String... path) {
        Element current = parent;
        for (String name : path) {
            Element next = null;
            for (Node child = current.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child instanceof Element element && element.getTagName().equals(name)) {
                    next = element;
                    break;
                }
            }
            if (next == null) {
                throw new AssertionError("no " + String.join("/", path) + " under " + parent.getTagName());
            }
            current = next;
        }
        return current.getTextContent().strip();
    }
}
