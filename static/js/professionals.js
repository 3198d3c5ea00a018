// The professionals list's filter form: leave empty filters out of the request, so the address
// bar (and a bookmark of it) shows only the filters in use: /professionals/?grade=P4
document.addEventListener("htmx:configRequest", (event) => {
  if (!event.detail.elt.matches || !event.detail.elt.matches("#filter-form")) return;
  const parameters = event.detail.parameters;
  for (const name of Object.keys(parameters)) {
    if (parameters[name] === "") delete parameters[name];
  }
});
