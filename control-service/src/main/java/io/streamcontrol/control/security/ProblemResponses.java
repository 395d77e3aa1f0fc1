package io.streamcontrol.control.security;

import io.streamcontrol.control.system.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * 401, 403 and requests the firewall rejects (400) as RFC 7807 problem details, like every other error of the API.
 */
final class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    static final String CSRF_HEADER = "X-CSRF-TOKEN";

    private final boolean bearer;
    private final Problems problems;

    ProblemResponses(boolean bearer, Problems problems) {
        this.bearer = bearer;
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        // the console's own calls (X-Requested-With) get no challenge: a browser would answer it with its login dialog
        if (request.getHeader("X-Requested-With") == null) {
            response.addHeader("WWW-Authenticate", "Basic realm=\"stream-control\"");
            if (bearer) {
                response.addHeader("WWW-Authenticate", "Bearer");
            }
        }
        write(request, response, HttpStatus.UNAUTHORIZED, request.getHeader(ApiKeys.HEADER) == null
                && request.getHeader("Authorization") == null
                ? "Authentication required: HTTP basic, an API key (" + ApiKeys.HEADER + ")"
                        + (bearer ? " or a bearer token" : "")
                : "Authentication failed: " + e.getMessage());
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        write(request, response, HttpStatus.FORBIDDEN, e instanceof CsrfException
                ? "Missing or stale CSRF token (" + CSRF_HEADER + "): a call authenticated by the console's session"
                        + " must send its token; reload the console"
                : request.getMethod() + " " + request.getRequestURI() + " needs role operator");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        write(request, response, HttpStatus.BAD_REQUEST, "Rejected request: " + e.getMessage());
    }

    private void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
            throws IOException {
        ProblemDetail problem = Problems.of(status, detail);
        problem.setType(Problems.BLANK_TYPE); // these answers always named it; ApiException's never did
        problems.write(problem, request, response);
    }
}
