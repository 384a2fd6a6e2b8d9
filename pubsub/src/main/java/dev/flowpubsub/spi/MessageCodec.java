package dev.flowpubsub.spi;

/**
 * Turns messages into bytes and back, for a {@link Transport}. The default is {@code dev.flowpubsub.JsonCodec}.
 *
 * <p>Encoding runs on the sender's thread, inside the send call, so a message that cannot be encoded fails there,
 * before it is delivered anywhere. Decoding runs on the transport's receiving thread and must build only types
 * the application allowed: never a class named by the bytes themselves.
 */
public interface MessageCodec {

    /**
     * The message as bytes, on the sender's thread.
     *
     * @throws IllegalArgumentException if the message cannot be encoded; the message names its type and what is allowed
     */
    byte[] encode(Object message);

    /**
     * The message the bytes hold, built only from the types the application allowed.
     *
     * @throws IllegalArgumentException if the bytes are malformed or name a type that is not allowed
     */
    Object decode(byte[] payload);
}
