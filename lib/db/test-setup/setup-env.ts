import { inject } from "vitest";

// Before any test module reads configuration: point lib/env at the run's fresh database.
process.env.DATABASE_URL = inject("databaseUrl");
