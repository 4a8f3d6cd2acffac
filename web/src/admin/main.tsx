// Entry of the admin console (/app/ and its client-side routes).
import { render } from 'preact';
import '../shared/base.css';
import './admin.css';
import { AdminApp } from './AdminApp';

render(<AdminApp />, document.getElementById('root')!);
