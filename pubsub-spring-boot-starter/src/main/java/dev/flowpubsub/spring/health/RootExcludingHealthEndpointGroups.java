package dev.flowpubsub.spring.health;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;

import java.util.List;
import java.util.Set;

/**
 * Spring Boot's health groups, except that the primary group (the root {@code /actuator/health}) leaves out one
 * contributor, which named groups may still include. Spring Boot has no property for this: the root group counts
 * every contributor, and groups can only pick from the same registry.
 *
 * <p>Everything else is delegated, including {@link AdditionalPathsMapper}: the groups bean is what Spring Boot
 * asks for a group's additional path (such as {@code /readyz}), so a wrapper that dropped it would lose them.
 */
final class RootExcludingHealthEndpointGroups implements HealthEndpointGroups, AdditionalPathsMapper {

    private final HealthEndpointGroups groups;
    private final HealthEndpointGroup primary;

    RootExcludingHealthEndpointGroups(HealthEndpointGroups groups, String contributor) {
        this.groups = groups;
        this.primary = new PrimaryWithout(groups.getPrimary(), contributor);
    }

    @Override
    public HealthEndpointGroup getPrimary() {
        return primary;
    }

    @Override
    public Set<String> getNames() {
        return groups.getNames();
    }

    @Override
    public @Nullable HealthEndpointGroup get(String name) {
        return groups.get(name);
    }

    @Override
    public @Nullable HealthEndpointGroup get(AdditionalHealthEndpointPath path) {
        return groups.get(path);
    }

    @Override
    public Set<HealthEndpointGroup> getAllWithAdditionalPath(WebServerNamespace namespace) {
        return groups.getAllWithAdditionalPath(namespace);
    }

    @Override
    public @Nullable List<String> getAdditionalPaths(EndpointId endpointId, WebServerNamespace namespace) {
        return groups instanceof AdditionalPathsMapper mapper ? mapper.getAdditionalPaths(endpointId, namespace)
                : List.of();
    }

    /** The primary group, without one contributor (nor its children, were it a composite). */
    private record PrimaryWithout(HealthEndpointGroup group, String contributor) implements HealthEndpointGroup {

        @Override
        public boolean isMember(String name) {
            return !name.equals(contributor) && !name.startsWith(contributor + "/") && group.isMember(name);
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return group.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return group.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return group.getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return group.getHttpCodeStatusMapper();
        }

        @Override
        public @Nullable AdditionalHealthEndpointPath getAdditionalPath() {
            return group.getAdditionalPath();
        }
    }
}
