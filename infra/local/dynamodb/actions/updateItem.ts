import { itemWrite } from './item-write.ts';

export const updateItem = itemWrite('UpdateItem');
