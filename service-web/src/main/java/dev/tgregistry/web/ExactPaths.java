package dev.tgregistry.web;

/**
 * A request path names one resource in one spelling: letters, digits and {@code -._~!$&'()*+,=:@} between single
 * slashes. Anything a router or a parameter parser would read as some other path is refused (400) before routing:
 * percent-encoding (so no encoded {@code .}, {@code /}, {@code \} or space), {@code ;} parameters, {@code \}, and
 * empty, {@code .} or {@code ..} segments. A trailing slash is allowed. No path of either service needs more.
 */
public final class ExactPaths {
    private static final String ALLOWED_PUNCTUATION = "-._~!$&'()*+,=:@";
    private static final int QUOTED_SEGMENT_MAX = 64;

    private ExactPaths() {
    }

    /** The problem with raw (undecoded) {@code path}, or null when it is exact. */
    public static ApiProblem check(String path) {
        if (path == null || path.isEmpty()) {
            return null;
        }
        if (path.charAt(0) != '/') {
            return refused(path);
        }
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.isEmpty() && !last || segment.equals(".") || segment.equals("..") || !plain(segment)) {
                return refused(segment);
            }
        }
        return null;
    }

    private static boolean plain(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            boolean letterOrDigit = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (!letterOrDigit && ALLOWED_PUNCTUATION.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static ApiProblem refused(String segment) {
        String quoted = segment.length() > QUOTED_SEGMENT_MAX ? segment.substring(0, QUOTED_SEGMENT_MAX) + "..." : segment;
        return ApiProblem.of(400, "Bad Request", "path segment \"" + quoted + "\" is not allowed: a path takes no"
                + " percent-encoding, ';' parameters, '\\' or spaces, and no empty, '.' or '..' segments");
    }
}
