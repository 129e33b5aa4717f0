package dev.tgregistry.users.audience;

import dev.tgregistry.users.RegistryConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** Rows per statement of a CSV export ({@code app.audience.csv-page-size}). */
@ApplicationScoped
public class CsvPageSize {
    private final int rows;

    public CsvPageSize(RegistryConfig config) {
        this.rows = config.audience().csvPageSize();
    }

    public int rows() {
        return rows;
    }
}
