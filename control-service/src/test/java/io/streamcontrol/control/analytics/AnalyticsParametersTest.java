package io.streamcontrol.control.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionFailedException;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.web.bind.WebDataBinder;

/** The analytics parameters' editors read every value as the conversion service did, and refuse what it refused. */
class AnalyticsParametersTest {

    private final DefaultFormattingConversionService conversions = new DefaultFormattingConversionService();

    /** Parameters annotated like the generated interface's. */
    @SuppressWarnings("unused")
    static void parameters(@DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime from,
            @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate day, Integer limit, String cursor) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-20T10:00:00Z", "2026-11-20T10:00:00.123456789+01:00", "2026-11-20T10:00Z",
        "2026-11-20T10:00:00+01:00[Europe/Paris]", "2026-11-20T10:00:00", "2026-02-30T10:00:00Z", "2026-11-20",
        "+12026-11-20T10:00:00Z", "0001-01-01T00:00:00Z", "yesterday", "1700000000", " ", ""})
    void instants(String text) throws Exception {
        assertThat(edited(text, OffsetDateTime.class)).isEqualTo(converted(text, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-20", "2026-11-20+01:00", "2026-02-29", "2028-02-29", "2026-11-20T10:00:00Z",
        "20261120", "today", " ", ""})
    void days(String text) throws Exception {
        assertThat(edited(text, LocalDate.class)).isEqualTo(converted(text, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"100", " 7 ", "0", "-1", "1001", "0x10", "1.5", "ten", "99999999999", " ", ""})
    void integers(String text) throws Exception {
        assertThat(edited(text, Integer.class)).isEqualTo(converted(text, 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", " a b ", "", "AAAA_-"})
    void textStaysAsSent(String text) throws Exception {
        assertThat(edited(text, String.class)).isEqualTo(converted(text, 3)).isEqualTo(text);
    }

    private Object edited(String text, Class<?> type) {
        WebDataBinder binder = new WebDataBinder(null);
        new AnalyticsParameters().contractValues(binder);
        try {
            return binder.convertIfNecessary(text, type);
        } catch (TypeMismatchException e) {
            return "refused";
        }
    }

    private Object converted(String text, int parameter) throws Exception {
        Method method = getClass().getDeclaredMethod("parameters", OffsetDateTime.class, LocalDate.class,
                Integer.class, String.class);
        try {
            return conversions.convert(text, TypeDescriptor.valueOf(String.class),
                    new TypeDescriptor(MethodParameter.forExecutable(method, parameter)));
        } catch (ConversionFailedException e) {
            return "refused";
        }
    }
}
