// Wiring of the book function (the public booking link: description, slots, booking) and its limits.
import { getConfig } from '../config';
import { limitDeps } from './parts/limits';
import { schedulingDeps } from './parts/scheduling';

getConfig();

export const scheduling = schedulingDeps();
export const limits = limitDeps();
