package dev.tgregistry.users.audience;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Rows per statement of a CSV export ({@code app.audience.csv-page-size}). */
@ApplicationScoped
public class CsvPageSize {
    private final int rows;

    public CsvPageSize(@ConfigProperty(name = "app.audience.csv-page-size", defaultValue = "5000") int rows) {
        this.rows = rows;
    }

    public int rows() {
        return rows;
    }
}
