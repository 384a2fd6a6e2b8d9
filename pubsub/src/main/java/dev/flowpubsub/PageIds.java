package dev.flowpubsub;

import com.vaadin.flow.component.UI;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A token per page (UI) of a hub, so that what a page sent can be recognised after its view moved to another UI (a
 * {@code @PreserveOnRefresh} view does at each refresh) without keeping the page reachable: the tokens are tiny
 * objects, held by the messages a history keeps and by a component's {@link HistoryCursor}; the pages are held
 * weakly here.
 *
 * <p>Threading: any thread; it reads no state of the UI, only its identity.
 */
final class PageIds {

    /** A page's token: compared by identity. */
    static final class PageId {
        @Override
        public String toString() {
            return "PageId@" + Integer.toHexString(System.identityHashCode(this));
        }
    }

    private final Map<UI, PageId> ids = Collections.synchronizedMap(new WeakHashMap<>());

    /** The page's token, the same at each call for one UI object. */
    PageId of(UI page) {
        return ids.computeIfAbsent(page, ui -> new PageId());
    }
}
