// Undo/redo for template edits beyond one text field (issue 14, expected): examples added,
// removed and reordered, technique and mode switches are each one step; typing in one field within
// a pause is one step; a new template starts a fresh history.
import { describe, expect, it } from 'vitest';
import { starterTemplate } from '../../core/prompt/index';
import { createAppStore } from '../../renderer/src/store/create-store';
import { TYPING_PAUSE_MS } from '../../renderer/src/store/template-slice';
import { fakeApi } from './fakes';

function setup() {
  let clock = 0;
  const store = createAppStore(fakeApi().api, { now: () => clock });
  store.getState().actions.newFromStarter(starterTemplate('sentiment-few-shot')!);
  return {
    get state() {
      return store.getState();
    },
    get actions() {
      return store.getState().actions;
    },
    pause() {
      clock += TYPING_PAUSE_MS + 1;
    },
  };
}

describe('template undo/redo', () => {
  it('undoes and redoes shots added, removed and moved, and technique and mode switches, in order', () => {
    const t = setup();
    const original = t.state.template.draft;
    t.actions.addExample();
    t.actions.moveExample(0, 3);
    t.actions.deleteExample(1);
    t.actions.setTechnique('chain-of-thought');
    t.actions.setMode('chat');
    const last = t.state.template.draft;
    expect(t.state.template.past).toHaveLength(5);

    t.actions.undoTemplate();
    expect(t.state.template.draft.mode).toBe('completion');
    expect(t.state.template.draft.technique).toBe('chain-of-thought');
    t.actions.undoTemplate();
    expect(t.state.template.draft.technique).toBe('few-shot');
    t.actions.undoTemplate();
    expect(t.state.template.draft.examples).toHaveLength(5);
    t.actions.undoTemplate();
    t.actions.undoTemplate();
    expect(t.state.template.draft).toEqual(original);
    t.actions.undoTemplate(); // nothing left: no change
    expect(t.state.template.draft).toEqual(original);

    for (let i = 0; i < 5; i++) t.actions.redoTemplate();
    expect(t.state.template.draft).toEqual(last);
    // A new edit after undo drops the redo steps.
    t.actions.undoTemplate();
    t.actions.addExample();
    expect(t.state.template.future).toEqual([]);
  });

  it('typing in one field is one step until a pause; another field is another step', () => {
    const t = setup();
    for (const name of ['M', 'My', 'My t']) t.actions.updateTemplate({ name });
    t.pause();
    t.actions.updateTemplate({ name: 'My template' });
    t.actions.updateExample(0, { input: 'changed' });
    t.actions.undoTemplate();
    expect(t.state.template.draft.examples[0]!.input).not.toBe('changed');
    expect(t.state.template.draft.name).toBe('My template');
    t.actions.undoTemplate();
    expect(t.state.template.draft.name).toBe('My t');
    t.actions.undoTemplate();
    expect(t.state.template.draft.name).toBe('Sentiment (few-shot)');
  });

  it('loading another template starts a fresh history', () => {
    const t = setup();
    t.actions.addExample();
    t.actions.newFromStarter(starterTemplate('grammar-correction')!);
    expect(t.state.template.past).toEqual([]);
    t.actions.undoTemplate();
    expect(t.state.template.draft.name).toBe('Grammar correction');
  });
});
