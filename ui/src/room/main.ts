// The participants' page (room.html): served by the room server to phones on the room's
// network; it talks only to the room API (docs/room-api.md), never to Tauri.
import { mount } from 'svelte';

import { loadLanguage } from '../lib/i18n.svelte';
import { room } from './room.svelte';
import RoomPage from './RoomPage.svelte';
import '../styles/base.css';
import './room.css';

const target = document.getElementById('room');
if (!target) throw new Error('room.html lost its #room element');
// The phone's words are read before the page is drawn, so nothing shows in English first.
await loadLanguage(room.lang).catch(() => undefined);
export default mount(RoomPage, { target });
