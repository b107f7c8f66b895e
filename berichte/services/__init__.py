"""Building the stored reports: data state, SQL builders, single-flight lock and the build itself."""
