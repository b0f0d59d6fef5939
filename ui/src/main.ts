import { mount } from 'svelte';

import { api } from './api';
import App from './App.svelte';
import { keepFocus } from './lib/focus';
import { languageOf, speak } from './lib/i18n.svelte';
import { room } from './state/room.svelte';
import { sessions } from './state/sessions.svelte';
import { theme } from './state/theme.svelte';
import { workshop } from './state/workshop.svelte';
import './styles/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lost its #app element');
keepFocus();
// From the start the window follows every change to a session and to the list of sessions,
// from itself, another window, the room or another program (the command line).
api.onSessionChange((change) => workshop.receive(change));
api.onSessionsChanged(() => void sessions.changed());
api.onRoomDoor((what) => void room.atDoor(what));
api.onSharedSynced((reports) => workshop.synced(reports));
// Asked together: the session list's rows, and the window's language and theme — its first
// words are drawn in its language (chosen in Settings, or the desktop's), so nothing shows
// in English first, and in its colours.
void workshop.start();
const settings = await api.windowSettings().catch(() => null);
theme.start(settings?.theme ?? null);
await speak(settings?.language.speaking ?? languageOf(navigator.languages));
export default mount(App, { target });
