package dev.tgregistry.users.booking;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A row of {@code bookings}, for the endpoints that change a booking (stream change, booking edit). */
@Entity
@Table(name = "bookings")
public class Booking extends PanacheEntityBase {
    @Id
    public Long id;
    @Column(name = "user_id")
    public Long userId;
    @Column(name = "course_id")
    public Integer courseId;
    @Column(name = "course_stream")
    public String courseStream;
    public Integer confirmed;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "referral_code")
    public String referralCode;
    @Column(name = "discount_percent")
    public Integer discountPercent;
    @Column(name = "changed_at")
    public Instant changedAt;
}
