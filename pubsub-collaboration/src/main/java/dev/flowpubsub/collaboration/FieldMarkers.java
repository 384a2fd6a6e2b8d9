package dev.flowpubsub.collaboration;

import com.vaadin.flow.component.fieldhighlighter.FieldHighlighterInitializer;
import com.vaadin.flow.dom.Element;
import com.vaadin.flow.shared.Registration;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

/**
 * Shows on a field who else is editing it, with Vaadin's field highlighter (its web component,
 * {@code <vaadin-field-highlighter>}, under the Apache licence like the rest of vaadin-core). Its Java side is one
 * protected static initializer, which this subclass calls; the users are set through the web component's client
 * API, {@code setUsers(field, users)}, with each user's id, name and colour index. A browser test pins that call
 * ({@code SharedFormBrowserTest} in the chat).
 *
 * <p>Threading: on the page's thread with its session lock held; the calls go to the browser with the next response.
 */
final class FieldMarkers extends FieldHighlighterInitializer {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FieldMarkers() {
    }

    /** Makes {@code field} able to show markers, now if it is attached and at each attach. */
    static Registration attach(Element field) {
        return init(field);
    }

    /** Shows {@code users} on {@code field}, in place of those shown before (none: no marker). */
    static void show(Element field, List<UserInfo> users) {
        List<Map<String, Object>> shown = users.stream()
                .map(user -> Map.<String, Object>of("id", user.id(), "name", user.name(), "colorIndex",
                        user.colorIndex()))
                .toList();
        field.executeJs("customElements.whenDefined('vaadin-field-highlighter').then(() => "
                + "customElements.get('vaadin-field-highlighter').setUsers(this, JSON.parse($0)))",
                JSON.writeValueAsString(shown));
    }
}
