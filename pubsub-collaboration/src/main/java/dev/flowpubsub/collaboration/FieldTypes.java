package dev.flowpubsub.collaboration;

import com.vaadin.flow.component.HasValue;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Map;

/**
 * The value type of Vaadin's own fields, known by their class (looked up by name along the field's class hierarchy,
 * so a subclass counts and this module needs none of the field modules on its class path).
 *
 * <p>Threading: pure functions, any thread.
 */
final class FieldTypes {

    private static final String COMPONENTS = "com.vaadin.flow.component.";

    private static final Map<String, Class<?>> KNOWN = Map.ofEntries(
            Map.entry(COMPONENTS + "textfield.TextField", String.class),
            Map.entry(COMPONENTS + "textfield.TextArea", String.class),
            Map.entry(COMPONENTS + "textfield.PasswordField", String.class),
            Map.entry(COMPONENTS + "textfield.EmailField", String.class),
            Map.entry(COMPONENTS + "textfield.NumberField", Double.class),
            Map.entry(COMPONENTS + "textfield.IntegerField", Integer.class),
            Map.entry(COMPONENTS + "textfield.BigDecimalField", BigDecimal.class),
            Map.entry(COMPONENTS + "checkbox.Checkbox", Boolean.class),
            Map.entry(COMPONENTS + "datepicker.DatePicker", LocalDate.class),
            Map.entry(COMPONENTS + "timepicker.TimePicker", LocalTime.class),
            Map.entry(COMPONENTS + "datetimepicker.DateTimePicker", LocalDateTime.class));

    private FieldTypes() {
    }

    /** The value type of {@code field} if it is one of Vaadin's fields of a fixed type, else null. */
    static @Nullable Class<?> valueType(HasValue<?, ?> field) {
        for (Class<?> type = field.getClass(); type != null; type = type.getSuperclass()) {
            Class<?> known = KNOWN.get(type.getName());
            if (known != null) {
                return known;
            }
        }
        return null;
    }

    /** The boxed type of a primitive bean property, else the type itself. */
    static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return switch (type.getName()) {
            case "boolean" -> Boolean.class;
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            default -> throw new IllegalArgumentException("a shared field cannot hold a " + type.getName());
        };
    }
}
