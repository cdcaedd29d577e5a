package dev.coffer.api;

import java.util.List;

/** The server answered with a non-success status; {@link #errors()} holds its {@code errors} array. */
public final class CofferApiException extends CofferClientException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final List<String> errors;
    private final String method;
    private final String url;

    public CofferApiException(int status, List<String> errors, String method, String url) {
        super(describe(status, errors, method, url));
        this.status = status;
        this.errors = List.copyOf(errors);
        this.method = method;
        this.url = url;
    }

    public int status() {
        return status;
    }

    public List<String> errors() {
        return errors;
    }

    public String method() {
        return method;
    }

    public String url() {
        return url;
    }

    private static String describe(int status, List<String> errors, String method, String url) {
        StringBuilder text = new StringBuilder("Error making API request.\n\n")
                .append("URL: ").append(method).append(' ').append(url).append('\n');
        if (errors.isEmpty()) {
            return text.append("Code: ").append(status).append(". The server returned no error details.").toString();
        }
        text.append("Code: ").append(status).append(". Errors:\n\n");
        for (int i = 0; i < errors.size(); i++) {
            text.append("* ").append(errors.get(i));
            if (i < errors.size() - 1) {
                text.append('\n');
            }
        }
        return text.toString();
    }
}
