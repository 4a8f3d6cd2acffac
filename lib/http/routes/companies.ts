// Routes of the contract: Companies, their calendars, sync, synced events and overlaps (function companies).
// lib/http/contract.ts gathers every group for /openapi.json; a handler imports its own group only, so that its
// bundle holds no other feature's schemas.
import { defineRoute } from '../route';
import * as companies from '../../companies/schemas';

export const routes = {
  createCompany: defineRoute({
    method: 'POST', path: '/companies', tag: 'companies', summary: 'Create a company (you become its owner)', auth: true,
    body: companies.createCompanyBody, response: companies.companyCreatedReply, successStatus: 201,
  }),
  listCompanies: defineRoute({
    method: 'GET', path: '/companies', tag: 'companies', summary: 'The companies you belong to', auth: true,
    query: companies.listQuery, response: companies.companyList,
  }),
  getCompany: defineRoute({
    method: 'GET', path: '/companies/{companyId}', tag: 'companies', summary: 'A company you belong to, with its members', auth: true,
    params: companies.companyIdParams, response: companies.companyReply,
  }),
  addCompanyMember: defineRoute({
    method: 'PUT', path: '/companies/{companyId}/members/{userId}', tag: 'companies',
    summary: 'Add a member or change their role: optional body {role: admin|member}, default member (owners and admins; the owner\'s role never changes: 422 owner_required)', auth: true,
    params: companies.memberParams, body: companies.memberBody, response: companies.memberReply,
  }),
  removeCompanyMember: defineRoute({
    method: 'DELETE', path: '/companies/{companyId}/members/{userId}', tag: 'companies', summary: 'Remove a member and disable the calendars that came through their connections (owners and admins; never the owner: 422 owner_required)', auth: true,
    params: companies.memberParams, successStatus: 204,
  }),
  listCompanyCalendars: defineRoute({
    method: 'GET', path: '/companies/{companyId}/calendars', tag: 'companies', summary: "The company's Google calendars with their sync state", auth: true,
    params: companies.companyIdParams, response: companies.companyCalendarList,
  }),
  enableCompanyCalendar: defineRoute({
    method: 'PUT', path: '/companies/{companyId}/calendars/{calendarId}', tag: 'companies',
    summary: 'Enable a Google calendar of one of your connections for the company (owners and admins; 409 calendar_taken when another company has it; 403 calendar_not_readable when the connection sees it only as free/busy)', auth: true,
    params: companies.companyCalendarParams, body: companies.enableCalendarBody, response: companies.companyCalendarReply,
  }),
  disableCompanyCalendar: defineRoute({
    method: 'DELETE', path: '/companies/{companyId}/calendars/{calendarId}', tag: 'companies', summary: "Disable a calendar; the company's copies of its events are removed (owners and admins)", auth: true,
    params: companies.companyCalendarParams, successStatus: 204,
  }),
  requestCompanySync: defineRoute({
    method: 'POST', path: '/companies/{companyId}/sync', tag: 'companies', summary: 'Queue a sync of every enabled calendar now (owners and admins)', auth: true,
    params: companies.companyIdParams, response: companies.syncQueuedReply, successStatus: 202,
  }),
  getCompanySync: defineRoute({
    method: 'GET', path: '/companies/{companyId}/sync', tag: 'companies', summary: 'Sync state per calendar and the sync log, newest first', auth: true,
    params: companies.companyIdParams, query: companies.syncLogQuery, response: companies.syncStatusReply,
  }),
  listCompanyEvents: defineRoute({
    method: 'GET', path: '/companies/{companyId}/events', tag: 'companies', summary: 'Synced events in a range (at most 366 days), series expanded', auth: true,
    params: companies.companyIdParams, query: companies.companyRangeQuery, response: companies.syncedOccurrenceList,
  }),
  listCompanyOverlaps: defineRoute({
    method: 'GET', path: '/companies/{companyId}/overlaps', tag: 'companies', summary: 'Pairs of synced events that overlap in time (free events excluded)', auth: true,
    params: companies.companyIdParams, query: companies.companyRangeQuery, response: companies.overlapList,
  }),
};
