// Server-sent events parsing for fetch() bodies (the backend streams over POST, so EventSource can't be used).

/** Incremental parser: feed text chunks, get complete {event, data} records back. */
export function createSseParser() {
  let buffer = "";
  return {
    push(chunk) {
      buffer += chunk.replace(/\r\n?/g, "\n");
      const events = [];
      let end;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = "message";
        const data = [];
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = colon === -1 ? line : line.slice(0, colon);
          let value = colon === -1 ? "" : line.slice(colon + 1);
          if (value.startsWith(" ")) value = value.slice(1);
          if (field === "event") event = value;
          else if (field === "data") data.push(value);
        }
        if (data.length) events.push({ event, data: data.join("\n") });
      }
      return events;
    },
  };
}

/** Reads a fetch Response body as SSE, calling onEvent for each record. */
export async function readSse(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parser = createSseParser();
  for (;;) {
    const { done, value } = await reader.read();
    const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
    for (const ev of parser.push(text)) {
      if (onEvent(ev) === false) {
        await reader.cancel().catch(() => {});
        return;
      }
    }
    if (done) return;
  }
}
