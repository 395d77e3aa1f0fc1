package io.streamcontrol.control.system;

import java.util.List;
import org.springframework.http.HttpStatus;

/** A failed API call the caller can act on: its status, a one-line detail and, for bad input, the failing fields. */
public class ApiException extends RuntimeException {

    /** One failing field or parameter, e.g. {@code settings.batchInterval}. */
    public record FieldProblem(String field, String message) {
    }

    private final HttpStatus status;
    private final List<FieldProblem> fields;

    public ApiException(HttpStatus status, String detail, List<FieldProblem> fields) {
        super(detail);
        this.status = status;
        this.fields = List.copyOf(fields);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, detail, List.of());
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, detail, List.of());
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, field + ": " + message, List.of(new FieldProblem(field, message)));
    }

    public HttpStatus status() {
        return status;
    }

    public List<FieldProblem> fields() {
        return fields;
    }
}
