import { itemWrite } from './item-write.ts';

export const deleteItem = itemWrite('DeleteItem');
