package dev.tgregistry.users.profile;

/** grade_year as the bots write it: "11", "۱۱" (Persian digits) or a word such as "دهم"; its number when it has one. */
final class GradeYear {
    static final int MAX_LENGTH = 32;

    private GradeYear() {
    }

    /** The decimal number {@code text} spells in any script's digits, or null (a word, or beyond an int). */
    static Integer number(String text) {
        if (text == null || text.isEmpty() || text.length() > 9) {
            return null;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            int digit = Character.digit(text.charAt(i), 10);
            if (digit < 0) {
                return null;
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
