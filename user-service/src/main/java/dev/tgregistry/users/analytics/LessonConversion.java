package dev.tgregistry.users.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A lesson type of {@code GET /api/free-lessons-conversion} (snake_case, as the original): distinct registered users,
 * how many of them clicked the lesson link (distinct users, not clicks, so the rate is at most 100), and the rate in
 * percent with one decimal (0 without registrations); plus clickers who had no registration of that type.
 */
public record LessonConversion(String lessonType, long registrations, long attendances, double conversionRate,
                               long unregisteredClickers) {

    static LessonConversion of(String lessonType, long registrations, long attendances, long unregisteredClickers) {
        double rate = registrations == 0 ? 0 : BigDecimal.valueOf(attendances * 100)
                .divide(BigDecimal.valueOf(registrations), 1, RoundingMode.HALF_UP).doubleValue();
        return new LessonConversion(lessonType, registrations, attendances, rate, unregisteredClickers);
    }
}
