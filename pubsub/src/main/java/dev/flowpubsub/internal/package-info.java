/**
 * For internal use only: what Vaadin and Atmosphere find by name ({@code ServiceLoader}, servlet init parameters) and
 * the hook into Vaadin's push connection, public only because they must be. Not API: may be renamed or removed in
 * any release, as Vaadin says of {@code UIInternals}. Nothing here is for applications to call.
 */
@NullMarked
package dev.flowpubsub.internal;

import org.jspecify.annotations.NullMarked;
