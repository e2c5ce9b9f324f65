// An API reference page: Redoc renders the contract. Its version is in the page's bar, not after the title, where
// Redoc would print "(2)".
const element = document.getElementById('redoc');
const response = await fetch(element.dataset.specUrl);
const spec = await response.json();
spec.info.version = '';
globalThis.Redoc.init(
  spec,
  {
    hideDownloadButton: true,
    theme: { typography: { fontFamily: 'system-ui, sans-serif', headings: { fontFamily: 'system-ui, sans-serif' } } },
  },
  element,
);
