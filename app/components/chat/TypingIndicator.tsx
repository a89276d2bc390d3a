export function TypingIndicator() {
  return (
    <span className="typing" role="status" aria-label="Parley is writing">
      <span />
      <span />
      <span />
    </span>
  );
}
