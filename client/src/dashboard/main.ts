import { mount } from 'svelte';
import '../lib/theme.css';
import './controls.css';
import { preferredLanguage, setLanguage } from '../lib/i18n.svelte.js';
import App from './App.svelte';

setLanguage(preferredLanguage(), false);
mount(App, { target: document.getElementById('app')! });
