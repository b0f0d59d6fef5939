// The participants' page (room.html): served by the room server to phones on the room's
// network; it talks only to the room API (docs/room-api.md), never to Tauri.
import { mount } from 'svelte';

import RoomPage from './RoomPage.svelte';
import '../styles/base.css';
import './room.css';

const target = document.getElementById('room');
if (!target) throw new Error('room.html lost its #room element');
export default mount(RoomPage, { target });
