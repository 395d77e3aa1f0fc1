package io.streamcontrol.control.analytics;

import io.streamcontrol.control.api.model.Dimension;
import io.streamcontrol.control.api.model.Granularity;
import java.beans.PropertyEditorSupport;
import java.util.function.Function;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Dimensions and granularities are written exactly as in the contract ({@code product}, {@code minute}). Editors, not
 * converters: when a converter fails, Spring falls back to {@code Enum.valueOf} and would accept {@code PRODUCT}.
 */
@ControllerAdvice(assignableTypes = AnalyticsController.class)
class AnalyticsParameters {

    @InitBinder
    void contractValues(WebDataBinder binder) {
        binder.registerCustomEditor(Dimension.class, editor(Dimension::fromValue));
        binder.registerCustomEditor(Granularity.class, editor(Granularity::fromValue));
    }

    private static PropertyEditorSupport editor(Function<String, ?> fromValue) {
        return new PropertyEditorSupport() {
            @Override
            public void setAsText(String text) {
                setValue(fromValue.apply(text));
            }
        };
    }
}
