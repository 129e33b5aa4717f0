package dev.tgregistry.localstack;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * A certificate authority made for one test run (EC P-256, valid for a day, never written anywhere but the test's
 * directory), and the server certificates it signs: what a private CA of a managed PostgreSQL or a Strimzi cluster
 * is in production. Files are PEM (what the services' {@code DB_SSL_ROOT_CERT} and
 * {@code KAFKA_SSL_TRUSTSTORE_LOCATION} take) or PKCS#12 (the Kafka broker's keystore).
 */
public final class ThrowAwayCa {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration VALIDITY = Duration.ofDays(1);

    private final KeyPair keys;
    private final X509Certificate certificate;

    private ThrowAwayCa(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A new self-signed CA named {@code CN=name}. */
    public static ThrowAwayCa create(String name) {
        KeyPair keys = newKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            return new ThrowAwayCa(keys, sign(builder, keys.getPrivate()));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the CA certificate: " + e, e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Writes the CA certificate (PEM) to {@code file}: the trust anchor a client is given. */
    public Path writeCertificate(Path file) {
        return write(file, pem("CERTIFICATE", encoded(certificate)), false);
    }

    /**
     * A server certificate for the host names and IP addresses a client connects to (its subject alternative names,
     * which a client doing verify-full / endpoint identification checks), signed by this CA.
     */
    public Issued issue(String commonName, List<String> dnsNames, List<String> ipAddresses) {
        KeyPair serverKeys = newKeyPair();
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), new X500Name("CN=" + commonName),
                    serverKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(serverKeys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate));
            return new Issued(sign(builder, keys.getPrivate()), serverKeys.getPrivate(), certificate);
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName + ": " + e, e);
        }
    }

    /** A server's certificate and key, and the CA certificate that signed it. */
    public record Issued(X509Certificate certificate, PrivateKey key, X509Certificate issuer) {

        /** The certificate followed by the CA's (PEM). */
        public Path writeCertificateChain(Path file) {
            return write(file, pem("CERTIFICATE", encoded(certificate)) + pem("CERTIFICATE", encoded(issuer)), false);
        }

        /** The private key, unencrypted PKCS#8 PEM, readable by the owner only (PostgreSQL refuses anything looser). */
        public Path writeKey(Path file) {
            return write(file, pem("PRIVATE KEY", key.getEncoded()), true);
        }

        /** A PKCS#12 keystore with the key and the chain under the alias {@code server}. */
        public Path writePkcs12(Path file, String password) {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("server", key, password.toCharArray(), new Certificate[] {certificate, issuer});
                Files.createDirectories(file.toAbsolutePath().getParent());
                try (OutputStream out = Files.newOutputStream(file)) {
                    store.store(out, password.toCharArray());
                }
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot write the keystore " + file + ": " + e, e);
            }
        }
    }

    /** A random password of letters and digits (SCRAM users, keystores). */
    public static String randomPassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            password.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC P-256 key pair generator in this JDK", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signingKey)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(63, RANDOM).add(BigInteger.ONE);
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String content, boolean ownerOnly) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            if (ownerOnly) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(file, content, StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
