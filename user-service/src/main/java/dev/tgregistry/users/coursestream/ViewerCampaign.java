package dev.tgregistry.users.coursestream;

import io.smallrye.config.ConfigMapping;

import java.time.LocalDate;

/**
 * {@code app.stream-viewers.*}: the stream whose roster also lists people who viewed the course's program
 * ({@code view_program} with {@code details.course_id}) since a day (UTC) without booking that stream.
 */
@ConfigMapping(prefix = "app.stream-viewers")
public interface ViewerCampaign {
    String stream();

    int courseId();

    LocalDate since();
}
