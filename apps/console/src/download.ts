/**
 * Saves text fetched with the API key as a file. A plain link cannot carry the Authorization header,
 * so the console fetches the CSV itself and hands the browser a local copy to save.
 */
export function saveFile(text: string, filename: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  anchor.hidden = true;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The browser has started the download by now; the copy is not needed afterwards.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
