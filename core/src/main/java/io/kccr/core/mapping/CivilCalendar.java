package io.kccr.core.mapping;

/**
 * Proleptic Gregorian calendar arithmetic on plain ints, for the date parsers that resolve dates without
 * {@code java.time} objects: month lengths and days since the epoch. Allocation-free.
 */
final class CivilCalendar {

    private CivilCalendar() {
    }

    /** The number of days of {@code month} (1-12) in {@code year}. */
    static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    static long daysFromCivil(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }
}
