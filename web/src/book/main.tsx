// Entry of the public booking page (/app/book/{slug}).
import { render } from 'preact';
import '../shared/base.css';
import './book.css';
import { BookingApp } from './BookingApp';

render(<BookingApp />, document.getElementById('root')!);
