package io.streamcontrol.control.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's errors as RFC 7807 problem details, built here for Spring MVC to answer ({@link ApiExceptionHandler}) and
 * written here for the security filters, which answer before Spring MVC: the same body, written with the mapper
 * Spring MVC writes with (the application's {@link JsonMapper}).
 */
public final class Problems {

    public static final URI BLANK_TYPE = URI.create("about:blank");

    private final JsonMapper json;

    public Problems(JsonMapper json) {
        this.json = json;
    }

    /** A problem of {@code status}; its title is the status' reason phrase. */
    public static ProblemDetail of(HttpStatus status, String detail) {
        return ProblemDetail.forStatusAndDetail(status, detail);
    }

    /** The answer Spring MVC writes, which sets the problem's instance to the request's path. */
    static ResponseEntity<ProblemDetail> answer(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** Answers {@code request} with {@code problem} as Spring MVC would answer {@link #answer}. */
    public void write(ProblemDetail problem, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (problem.getInstance() == null) {
            problem.setInstance(instance(request));
        }
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }

    /** The request's path; none for one that is no URI, which the firewall refuses with a problem all the same. */
    private static URI instance(HttpServletRequest request) {
        try {
            return URI.create(request.getRequestURI());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
