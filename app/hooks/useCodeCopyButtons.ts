import { useEffect } from "react";
import { copyToClipboard, COPIED_RESET_MS } from "#app/components/markdown/copy";

/**
 * Replies arrive as server-rendered HTML, so their code blocks' Copy buttons carry no React
 * handler: one listener on the document serves them all.
 */
export function useCodeCopyButtons(): void {
  useEffect(() => {
    const onClick = async (event: MouseEvent) => {
      const button = (event.target as Element | null)?.closest?.<HTMLButtonElement>(
        "[data-static-html] .code-block__copy",
      );
      if (!button) return;
      const code = button.closest(".code-block")?.querySelector("code");
      if (!code) return;
      const copied = await copyToClipboard(code.textContent ?? "");
      if (!copied) window.getSelection()?.selectAllChildren(code);
      button.textContent = copied ? "Copied" : "Selected";
      button.classList.add(copied ? "code-block__copy--copied" : "code-block__copy--selected");
      setTimeout(() => {
        button.textContent = "Copy";
        button.classList.remove("code-block__copy--copied", "code-block__copy--selected");
      }, COPIED_RESET_MS);
    };
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, []);
}
