package dev.flowpubsub.redis;

/**
 * The Lua scripts of the {@link RedisSignalLog}: each does one call's work in one atomic step, so that what a node
 * reads (epoch, head, watermark, entries) is one moment's state, and what it writes lands whole.
 *
 * <p>Positions are the sequence part of stream ids {@code 0-<position>}: {@code XADD <stream> 0-*} takes the next
 * sequence number after the stream's last id, so positions are dense from 1 and come from the stream alone (no
 * counter to fall out of step with it). The head is the stream's {@code last-generated-id}; the trim watermark is its
 * {@code max-deleted-entry-id} (Redis 7), which {@code XTRIM} does not raise on Redis 7.0, so the trim script raises
 * it with {@code XSETID ... MAXDELETEDID}. Both are kept by Redis with the stream, on disk with it, and gone with it.
 *
 * <p>The epoch key is set (to a random id the caller gives) when missing, by the scripts that append or read: after
 * Redis came back empty the first of them makes a new epoch. The read script writes nothing else, and nothing at all
 * when the epoch is there, so reads go on while Redis refuses writes for want of memory ({@code maxmemory}); so do
 * trims, which free memory. Snapshots and trims name the epoch the node last read:
 * they do nothing when the log is another one by now, so a node that has not seen the loss yet cannot put an old
 * epoch's state, or trim at an old epoch's position, into the new one.
 *
 * <p>Threading: constants; any thread.
 */
final class RedisSignalScripts {

    /** Reads the stream's head and trim watermark into {@code head}, {@code trimmed} and {@code lastId}. */
    private static final String STREAM_STATE = """
            local function seq(id) return tonumber(string.match(id, '%-(%d+)$')) or 0 end
            local head, trimmed, lastId = 0, 0, '0-0'
            if redis.call('EXISTS', KEYS[1]) == 1 then
              local info = redis.call('XINFO', 'STREAM', KEYS[1])
              for i = 1, #info, 2 do
                if info[i] == 'last-generated-id' then lastId = info[i + 1]; head = seq(lastId) end
                if info[i] == 'max-deleted-entry-id' then trimmed = seq(info[i + 1]) end
              end
            end
            """;

    /**
     * Appends a batch if the log is at the caller's epoch. KEYS: stream, epoch. ARGV: an epoch to set if none, the
     * caller's epoch, then six per entry: name, origin, seq, format, writer, payload. Returns {epoch, id of the last
     * entry}, or {epoch, ''} with nothing appended when the log is at another epoch.
     */
    static final RedisScript APPEND = RedisScript.of("append signal entries", """
            redis.call('SET', KEYS[2], ARGV[1], 'NX')
            if redis.call('GET', KEYS[2]) ~= ARGV[2] then
              return {redis.call('GET', KEYS[2]), ''}
            end
            local last = ''
            for i = 3, #ARGV, 6 do
              last = redis.call('XADD', KEYS[1], '0-*', 'name', ARGV[i], 'origin', ARGV[i + 1], 'seq', ARGV[i + 2],
                'format', ARGV[i + 3], 'writer', ARGV[i + 4], 'payload', ARGV[i + 5])
            end
            return {redis.call('GET', KEYS[2]), last}
            """);

    /**
     * Reads entries. KEYS: stream, epoch. ARGV: after (a position), limit, name ('' for every name), an epoch to set
     * if none. Returns {epoch, head, trimmed, entry...}, each entry as XRANGE gives it: {id, {field, value, ...}}. With
     * a name, it pages through the stream until it has found {@code limit} entries of that name or reached the head:
     * the log holds the retained entries only, which the hub keeps to a few thousand.
     */
    static final RedisScript READ = RedisScript.of("read signal entries", STREAM_STATE + """
            local epoch = redis.call('GET', KEYS[2])
            if not epoch then
              epoch = ARGV[4]
              redis.call('SET', KEYS[2], epoch)
            end
            local reply = {epoch, head, trimmed}
            local limit, name = tonumber(ARGV[2]), ARGV[3]
            local from, found = math.max(tonumber(ARGV[1]), trimmed) + 1, 0
            while found < limit and from <= head do
              local page = redis.call('XRANGE', KEYS[1], string.format('0-%d', from), '+', 'COUNT',
                name == '' and (limit - found) or 500)
              if #page == 0 then break end
              for _, entry in ipairs(page) do
                local fields, named = entry[2], name == ''
                for f = 1, #fields, 2 do
                  if fields[f] == 'name' then named = named or fields[f + 1] == name end
                end
                if named and found < limit then
                  found = found + 1
                  reply[#reply + 1] = entry
                end
              end
              from = seq(page[#page][1]) + 1
            end
            return reply
            """);

    /**
     * Stores a snapshot if newer. KEYS: the name's snapshot hash, epoch. ARGV: the epoch the node last read ('' if
     * none yet), an epoch to set if none, position, format, writer, payload. Returns {1 stored, 0 not newer, or -1 the
     * epoch changed; the epoch}.
     */
    static final RedisScript PUT_SNAPSHOT = RedisScript.of("put a signal snapshot", """
            local epoch = redis.call('GET', KEYS[2])
            if ARGV[1] ~= '' and epoch ~= ARGV[1] then return {-1, epoch or ''} end
            if not epoch then
              epoch = ARGV[2]
              redis.call('SET', KEYS[2], epoch)
            end
            local stored = redis.call('HGET', KEYS[1], 'position')
            if stored and tonumber(stored) >= tonumber(ARGV[3]) then return {0, epoch} end
            redis.call('HSET', KEYS[1], 'position', ARGV[3], 'format', ARGV[4], 'writer', ARGV[5], 'payload', ARGV[6])
            return {1, epoch}
            """);

    /**
     * Trims. KEYS: stream, epoch. ARGV: the epoch the node last read ('' if none yet), position. Removes the entries
     * up to the position (at most the head) and raises the watermark to it, never lowering it. Returns {1 trimmed, 0
     * nothing to trim, or -1 the epoch changed; the epoch}.
     */
    static final RedisScript TRIM = RedisScript.of("trim signal entries", STREAM_STATE + """
            local epoch = redis.call('GET', KEYS[2])
            if ARGV[1] ~= '' and epoch ~= ARGV[1] then return {-1, epoch or ''} end
            local upTo = math.min(tonumber(ARGV[2]), head)
            if upTo <= trimmed then return {0, epoch or ''} end
            redis.call('XTRIM', KEYS[1], 'MINID', string.format('0-%d', upTo + 1))
            redis.call('XSETID', KEYS[1], lastId, 'MAXDELETEDID', string.format('0-%d', upTo))
            return {1, epoch or ''}
            """);

    private RedisSignalScripts() {
    }
}
