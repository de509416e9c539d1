/** The small page `GET /` serves: it lists and adds items through the JSON API next to it. */
export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Items</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
li { margin: .25rem 0; } form { display: flex; gap: .5rem; margin-top: 1rem; }
#error { color: #b00020; min-height: 1.5em; }
</style>
</head>
<body>
<h1>Items</h1>
<ul id="items"><li>Loading…</li></ul>
<form id="add">
  <input name="name" placeholder="Name" required maxlength="100">
  <input name="price" type="number" min="0" step="0.01" placeholder="Price" required>
  <button>Add</button>
</form>
<p id="error" role="alert"></p>
<script type="module">
const list = document.getElementById('items');
const error = document.getElementById('error');
async function load() {
  const response = await fetch('items');
  const { items } = await response.json();
  list.replaceChildren(...items.map((item) => {
    const li = document.createElement('li');
    li.textContent = item.name + ' — ' + item.price;
    return li;
  }));
  if (items.length === 0) list.innerHTML = '<li>No items yet.</li>';
}
document.getElementById('add').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const response = await fetch('items', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: form.get('name'), price: Number(form.get('price')) }),
  });
  error.textContent = response.ok ? '' : (await response.json()).message;
  if (response.ok) { event.target.reset(); await load(); }
});
load().catch((e) => { error.textContent = String(e); });
</script>
</body>
</html>
`;
