import { definePlugin } from '../../core/plugin.ts';
import { djaoappFixtures } from '../../../fixtures/djaoapp/index.ts';
import { accounts_list, accounts_profiles_list, accounts_users_list } from './accounts.ts';
import { authenticate } from './auth.ts';
import {
  auth_activate,
  auth_activate_retrieve,
  auth_login,
  auth_logout,
  auth_recover,
  auth_register,
  auth_reset,
  auth_tokens_refresh,
  auth_tokens_verify,
} from './authentication.ts';
import { contacts_activities_create, contacts_activities_list, contacts_create, contacts_destroy, contacts_update } from './contacts.ts';
import { djaoappErrors, JSON_TYPE } from './errors.ts';
import { legal_sign } from './legal.ts';
import { contact_us, notifications_test, todos_list } from './notifications.ts';
import {
  proxy_app_retrieve,
  proxy_app_update,
  proxy_engagement_retrieve,
  proxy_engagement_users_list,
  proxy_key_rotate,
  proxy_recent_list,
  proxy_rules_create,
  proxy_rules_destroy,
  proxy_rules_list,
  proxy_rules_retrieve,
  proxy_rules_update,
  proxy_sessions_retrieve,
} from './proxy.ts';
import type { DjaoappState, Principal } from './state.ts';
import { themes_editables_remove_tags, themes_reset, themes_upload } from './themes.ts';
import {
  users_activate_resend,
  users_api_keys_reset,
  users_create,
  users_destroy,
  users_list,
  users_notifications_update,
  users_password_update,
  users_profiles_create,
  users_profiles_list,
  users_retrieve,
  users_ssh_keys_update,
  users_update,
} from './users.ts';

export const djaoapp = definePlugin<DjaoappState, Principal>({
  name: 'djaoapp',
  title: 'DjaoApp (djaodjin) accounts and billing API',
  contentType: JSON_TYPE,
  fixtures: djaoappFixtures,
  authenticate,
  errors: djaoappErrors,
  handlers: {
    auth_login,
    auth_activate_retrieve,
    auth_activate,
    auth_logout,
    auth_recover,
    auth_register,
    auth_reset,
    auth_tokens_refresh,
    auth_tokens_verify,
    contact_us,
    users_activate_resend,
    users_api_keys_reset,
    users_password_update,
    users_ssh_keys_update,
    todos_list,
    accounts_list,
    accounts_profiles_list,
    accounts_users_list,
    contacts_create,
    contacts_update,
    contacts_destroy,
    contacts_activities_list,
    contacts_activities_create,
    legal_sign,
    users_list,
    users_create,
    users_retrieve,
    users_update,
    users_destroy,
    users_notifications_update,
    users_profiles_list,
    users_profiles_create,
    notifications_test,
    themes_editables_remove_tags,
    proxy_recent_list,
    proxy_app_retrieve,
    proxy_app_update,
    proxy_engagement_retrieve,
    proxy_engagement_users_list,
    proxy_key_rotate,
    proxy_rules_list,
    proxy_rules_create,
    proxy_rules_retrieve,
    proxy_rules_update,
    proxy_rules_destroy,
    proxy_sessions_retrieve,
    themes_upload,
    themes_reset,
  },
  adminViews: {
    /** E-mails sent in this sandbox (recover links, activation keys, contact-us messages, test notifications). */
    outbox: (state) => state.outbox,
    /** Pending activation keys and reset links, as the e-mails carry them. */
    keys: (state) => ({ verification_keys: state.verification_keys, reset_tokens: state.reset_tokens }),
  },
});
