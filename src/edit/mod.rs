//! Edits: the span editor, status edits, the work-log appender, Recommended Action and ADR links. Pure text in, text out; nothing here touches the disk.
