package io.streamcontrol.control.system;

import io.streamcontrol.control.system.ApiException.FieldProblem;
import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedMethod;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.http.converter.HttpMessageNotReadableException;

/**
 * Every error is an RFC 7807 problem detail; validation errors list the failing fields or parameters in
 * {@code errors}, as the OpenAPI document declares.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandler.class);

    /** The start of a 503's detail when Cassandra cannot be reached (the console recognises it by these words). */
    private static final String CASSANDRA_UNREACHABLE = "The control service cannot reach Cassandra";

    /** What the driver throws when no node answers: none reachable, a request timed out, or too few replicas. */
    private static final List<Class<? extends DriverException>> UNREACHABLE = List.of(AllNodesFailedException.class,
            DriverTimeoutException.class, ClosedConnectionException.class, UnavailableException.class,
            ReadTimeoutException.class, WriteTimeoutException.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e) {
        return problem(e.status(), e.getMessage(), e.fields());
    }

    /** Violated constraints on path, query and header parameters of the generated interfaces. */
    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraints(ConstraintViolationException e) {
        List<FieldProblem> fields = e.getConstraintViolations().stream()
                .map(v -> new FieldProblem(parameterName(v), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        return problem(HttpStatus.BAD_REQUEST, "Invalid request parameters", fields);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid value of parameter " + e.getName(),
                List.of(new FieldProblem(e.getName(), "invalid value '" + e.getValue() + "'")));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        Throwable unreachable = cassandraUnreachable(e);
        if (unreachable != null) {
            LOG.warn("Cassandra unreachable: {}", unreachable.toString());
            ResponseEntity<ProblemDetail> answer = problem(HttpStatus.SERVICE_UNAVAILABLE,
                    CASSANDRA_UNREACHABLE + " (" + unreachable.getClass().getSimpleName() + ": "
                            + abbreviate(firstLine(unreachable.getMessage()), 200) + ")", List.of());
            return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                    .header(HttpHeaders.RETRY_AFTER, "5").body(answer.getBody());
        }
        LOG.error("Unexpected error", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error: " + e.getClass().getSimpleName(), List.of());
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> fields = new ArrayList<>();
        for (FieldError error : e.getBindingResult().getFieldErrors()) {
            fields.add(new FieldProblem(error.getField(), error.getDefaultMessage()));
        }
        e.getBindingResult().getGlobalErrors()
                .forEach(error -> fields.add(new FieldProblem(error.getObjectName(), error.getDefaultMessage())));
        return asObject(problem(HttpStatus.BAD_REQUEST, "Invalid request body", fields));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> fields = new ArrayList<>();
        e.getParameterValidationResults().forEach(result -> result.getResolvableErrors().forEach(error ->
                fields.add(new FieldProblem(httpName(result.getMethodParameter()), error.getDefaultMessage()))));
        return asObject(problem(HttpStatus.BAD_REQUEST, "Invalid request parameters", fields));
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return asObject(problem(HttpStatus.BAD_REQUEST, "Missing parameter " + e.getParameterName(),
                List.of(new FieldProblem(e.getParameterName(), "is required"))));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return asObject(problem(HttpStatus.BAD_REQUEST, "Unreadable request body: " + firstLine(e.getMessage()),
                List.of()));
    }

    /** Spring's own exceptions (404 of unknown paths, 405, 415...) keep their status and get the same body. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, @Nullable Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(e, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail detail) {
            detail.setType(Problems.BLANK_TYPE);
        }
        return response;
    }

    /** The parameter's name in the contract (e.g. {@code product_key}, {@code Idempotency-Key}), not in Java. */
    private static String parameterName(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        String javaName = path.substring(path.lastIndexOf('.') + 1);
        Method method = null;
        Integer index = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD) {
                Path.MethodNode m = node.as(Path.MethodNode.class);
                method = ReflectionUtils.findMethod(violation.getRootBeanClass(), m.getName(),
                        m.getParameterTypes().toArray(Class<?>[]::new));
            } else if (node.getKind() == ElementKind.PARAMETER) {
                index = node.as(Path.ParameterNode.class).getParameterIndex();
            }
        }
        return method == null || index == null ? javaName
                : httpName(new AnnotatedMethod(method).getMethodParameters()[index]);
    }

    private static String httpName(MethodParameter parameter) {
        RequestParam query = parameter.getParameterAnnotation(RequestParam.class);
        RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
        PathVariable path = parameter.getParameterAnnotation(PathVariable.class);
        String name = query != null ? firstNonEmpty(query.name(), query.value())
                : header != null ? firstNonEmpty(header.name(), header.value())
                : path != null ? firstNonEmpty(path.name(), path.value()) : "";
        return name.isEmpty() ? parameter.getParameterName() : name;
    }

    private static String firstNonEmpty(String a, String b) {
        return a.isEmpty() ? b : a;
    }

    /** The driver's exception that says Cassandra is out of reach, among e's causes, or null. */
    private static Throwable cassandraUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Throwable cause = t;
            if (UNREACHABLE.stream().anyMatch(type -> type.isInstance(cause))) {
                return t;
            }
        }
        return null;
    }

    private static String abbreviate(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.lines().findFirst().orElse("");
        int cut = line.indexOf(" at [Source");
        return (cut > 0 ? line.substring(0, cut) : line).strip();
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail, List<FieldProblem> fields) {
        ProblemDetail problem = Problems.of(status, detail);
        if (!fields.isEmpty()) {
            problem.setProperty("errors", fields.stream()
                    .map(f -> Map.of("field", f.field(), "message", String.valueOf(f.message()))).toList());
        }
        return Problems.answer(problem);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ResponseEntity<Object> asObject(ResponseEntity<ProblemDetail> response) {
        return (ResponseEntity) response;
    }
}
