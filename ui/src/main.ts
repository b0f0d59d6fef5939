import { mount } from 'svelte';

import App from './App.svelte';
import { keepFocus } from './lib/focus';
import './styles/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lost its #app element');
keepFocus();
export default mount(App, { target });
