import { mount } from 'svelte';

import { api } from './api';
import App from './App.svelte';
import { keepFocus } from './lib/focus';
import { languageOf, speak } from './lib/i18n.svelte';
import './styles/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lost its #app element');
keepFocus();
// The first words are drawn in the window's language (chosen in Settings, or the desktop's):
// it is asked for before anything is drawn, so nothing shows in English first.
const setting = await api.languageSetting().catch(() => null);
speak(setting?.speaking ?? languageOf(navigator.languages));
export default mount(App, { target });
