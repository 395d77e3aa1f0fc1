package io.streamcontrol.control.analytics;

import io.streamcontrol.control.api.model.DimensionDto;
import io.streamcontrol.control.api.model.GranularityDto;
import java.beans.PropertyEditorSupport;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import org.springframework.util.NumberUtils;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * How the analytics endpoints read their parameters: as the contract writes them, by property editors, which the
 * binder asks before its conversion service.
 *
 * <ul>
 *   <li>Dimensions and granularities exactly as in the contract ({@code product}, {@code minute}): when a converter
 *       fails, Spring falls back to {@code Enum.valueOf} and would accept {@code PRODUCT}.</li>
 *   <li>Text, numbers, dates and instants as the conversion service would read them ({@code @DateTimeFormat(iso =
 *       DATE_TIME)} is ISO-8601 with an offset, strictly; blank is absent), but without its lookup: the conversion
 *       service finds its converter in a cache keyed by the parameter's type and annotations, whose hash it computes
 *       by reflection over every annotation of the generated interface's parameter, twice per parameter and request
 *       (about a tenth of the CPU of a query in a profile).</li>
 * </ul>
 * A value an editor cannot read becomes the same 400 as before (a type mismatch naming the parameter).
 */
@ControllerAdvice(assignableTypes = AnalyticsController.class)
class AnalyticsParameters {

    @InitBinder
    void contractValues(WebDataBinder binder) {
        binder.registerCustomEditor(DimensionDto.class, editor(DimensionDto::fromValue));
        binder.registerCustomEditor(GranularityDto.class, editor(GranularityDto::fromValue));
        binder.registerCustomEditor(String.class, editor(Function.identity()));
        // as StringToNumberConverterFactory: empty is absent, blank is no number
        binder.registerCustomEditor(Integer.class, editor(text -> text.isEmpty() ? null
                : NumberUtils.parseNumber(text, Integer.class)));
        binder.registerCustomEditor(OffsetDateTime.class, blankIsAbsent(AnalyticsParameters::dateTime));
        binder.registerCustomEditor(LocalDate.class, blankIsAbsent(AnalyticsParameters::date));
    }

    static OffsetDateTime dateTime(String text) {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_DATE_TIME); // @DateTimeFormat(iso = DATE_TIME)
    }

    static LocalDate date(String text) {
        return LocalDate.parse(text, DateTimeFormatter.ISO_DATE); // @DateTimeFormat(iso = DATE)
    }

    private static PropertyEditorSupport editor(Function<String, ?> fromValue) {
        return new PropertyEditorSupport() {
            @Override
            public void setAsText(String text) {
                setValue(fromValue.apply(text));
            }
        };
    }

    /** Blank text is no value (as the formatting conversion service reads it); unreadable text is a type mismatch. */
    private static PropertyEditorSupport blankIsAbsent(Function<String, ?> parse) {
        return editor(text -> {
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                return parse.apply(text);
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        });
    }
}
