package dev.flowpubsub.collaboration;

import com.github.mvysny.fakeservlet.FakeRequest;
import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.vaadin.flow.server.VaadinServletRequest;
import com.vaadin.flow.server.VaadinSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who the components take the current user to be: the signed-in principal, unless the application set one. */
class CurrentUserTest {

    @BeforeEach
    void open() {
        MockVaadin.setup();
    }

    @AfterEach
    void close() {
        MockVaadin.tearDown();
    }

    /** Signs {@code name} in on the current request, as Spring Security or a container's login does. */
    private static void signIn(String name) {
        ((FakeRequest) VaadinServletRequest.getCurrent().getRequest())
                .setUserPrincipalInt(() -> name);
    }

    @Test
    void theSignedInPrincipal_isTheUser_byItsName() {
        signIn("carol");

        UserInfo user = CurrentUser.get();

        assertThat(user.id()).isEqualTo("carol");
        assertThat(user.name()).isEqualTo("carol");
        assertThat(new PubSubAvatarGroup(null).getLocalUser()).isEqualTo(user);
    }

    @Test
    void aUserTheApplicationSet_winsOverThePrincipal() {
        signIn("carol");
        UserInfo carol = UserInfo.of("u-17", "Carol Smith").withImage("/carol.png");

        CurrentUser.set(VaadinSession.getCurrent(), carol);

        assertThat(CurrentUser.get()).isEqualTo(carol);
    }

    @Test
    void nobodySignedInAndNoneSet_saysWhatToDo() {
        assertThatThrownBy(CurrentUser::get).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CurrentUser.set(session");
    }

    @Test
    void badUsers_areRefusedAtTheCall() {
        assertThatThrownBy(() -> UserInfo.of(" ", "x")).hasMessageContaining("id must not be blank");
        assertThatThrownBy(() -> UserInfo.of("x", "")).hasMessageContaining("name must not be blank");
        assertThatThrownBy(() -> UserInfo.of("x", "X").withColorIndex(-1)).hasMessageContaining("colour index");
        assertThat(UserInfo.of("same id", "A").colorIndex()).isEqualTo(UserInfo.of("same id", "B").colorIndex());
    }
}
