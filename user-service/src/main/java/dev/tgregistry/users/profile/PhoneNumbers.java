package dev.tgregistry.users.profile;

import dev.tgregistry.users.RegistryConfig;
import jakarta.inject.Inject;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;
import java.util.Optional;

/**
 * Phones are stored, and looked up, in E.164 ({@code +989121234567}) when they parse as a phone number: in
 * international form always, in national form when {@code app.profile.phone-region} names the region to assume.
 * Anything else is kept as written (trimmed), so nothing a bot wrote is lost.
 */
@ApplicationScoped
public class PhoneNumbers {
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private final String defaultRegion;

    @Inject
    public PhoneNumbers(RegistryConfig config) {
        this(config.profile().phoneRegion());
    }

    PhoneNumbers(Optional<String> defaultRegion) {
        this.defaultRegion = defaultRegion.map(region -> region.strip().toUpperCase(Locale.ROOT)).filter(r -> !r.isEmpty())
                .orElse(null);
        if (this.defaultRegion != null && !PHONES.getSupportedRegions().contains(this.defaultRegion)) {
            throw new IllegalArgumentException("app.profile.phone-region: unknown region " + this.defaultRegion
                    + " (an ISO 3166 two-letter code such as IR or RU)");
        }
    }

    public String normalise(String phone) {
        String written = phone.strip();
        try {
            Phonenumber.PhoneNumber parsed = PHONES.parse(written, defaultRegion);
            if (PHONES.isPossibleNumber(parsed)) {
                return PHONES.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164);
            }
        } catch (NumberParseException notAPhoneNumber) {
            // kept as written
        }
        return written;
    }
}
